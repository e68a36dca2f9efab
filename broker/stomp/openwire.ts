const MAGIC = Buffer.from('ActiveMQ');

/**
 * True when the first bytes are an OpenWire WireFormatInfo: a 4-byte size prefix, type 1 and the
 * "ActiveMQ" magic (or, with `sizePrefixDisabled`, type 1 and the magic at once).
 */
export function looksLikeOpenWire(firstChunk: Buffer): boolean {
  if (firstChunk.length >= 4 + 1 + MAGIC.length && firstChunk[4] === 1) {
    if (firstChunk.subarray(5, 5 + MAGIC.length).equals(MAGIC)) return true;
  }
  return firstChunk.length >= 1 + MAGIC.length && firstChunk[0] === 1 && firstChunk.subarray(1, 1 + MAGIC.length).equals(MAGIC);
}

/** Whether more bytes are needed before `looksLikeOpenWire` can decide (STOMP never starts with 0x00 or 0x01). */
export function mayBeOpenWirePrefix(chunk: Buffer): boolean {
  return chunk.length < 4 + 1 + MAGIC.length && (chunk[0] === 0 || chunk[0] === 1);
}
