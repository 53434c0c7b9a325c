// Builds link payloads the way the engine's link format does (engine/src/link.rs): a 9-byte
// header (format 1, cursor as big-endian u32, CRC-32 of cursor + JSON) then the raw-DEFLATEd
// compact JSON, all as URL-safe base64 without padding. The hostile-input tests use it to forge
// links that are well-formed but wrong (a cursor past the end, a zip bomb, a tampered scenario).
import { deflateRawSync } from 'node:zlib';

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A link payload for `json` (a string) at `cursor`. */
export function payload(json, cursor) {
  const body = Buffer.from(json, 'utf8');
  const header = Buffer.alloc(9);
  header[0] = 1;
  header.writeUInt32BE(cursor, 1);
  header.writeUInt32BE(crc32(Buffer.concat([header.subarray(1, 5), body])), 5);
  return Buffer.concat([header, deflateRawSync(body, { level: 9 })]).toString('base64url');
}
