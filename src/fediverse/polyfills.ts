/**
 * What Fedify 1.10 expects of its runtime and Node 20 lacks. Imported only by ./fedify.ts, before Fedify itself,
 * so nothing can load Fedify without them.
 */
const buffers = ArrayBuffer.prototype as ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer };
if (typeof buffers.transfer !== 'function') {
  Object.defineProperty(ArrayBuffer.prototype, 'transfer', {
    configurable: true,
    writable: true,
    // A copy stands in for the move: callers only read the result.
    value(this: ArrayBuffer, length = this.byteLength) {
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}

// Fedify reads navigator.userAgent to build its own User-Agent header.
const global = globalThis as { navigator?: { userAgent: string } };
global.navigator ??= { userAgent: `Node.js/${process.versions.node}` };

export {};
