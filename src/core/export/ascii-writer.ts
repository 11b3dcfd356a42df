// A growable ASCII byte buffer for large generated text files (3MF XML): numbers are written digit
// by digit, with no intermediate strings, so a 100k-triangle model costs no garbage collection.

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

export class AsciiWriter {
  private bytes: Uint8Array;
  private length = 0;
  private readonly digits = new Uint8Array(24);

  constructor(initialBytes = 1 << 16) {
    this.bytes = new Uint8Array(Math.max(64, initialBytes));
  }

  private reserve(extra: number) {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** ASCII text only (callers escape anything else first). */
  text(s: string): this {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.bytes[this.length++] = s.charCodeAt(i) & 0x7f;
    return this;
  }

  /** A non-negative integer below 2^53. */
  uint(value: number): this {
    this.reserve(20);
    if (value === 0) {
      this.bytes[this.length++] = ZERO;
      return this;
    }
    let n = 0;
    for (let v = value; v > 0; v = Math.floor(v / 10)) this.digits[n++] = ZERO + (v % 10);
    while (n > 0) this.bytes[this.length++] = this.digits[--n]!;
    return this;
  }

  /**
   * `value` rounded to 4 decimals, written as String(rounded) would (no trailing zeros, no exponent,
   * "0" for anything that rounds to zero). Values too large for exact fixed point fall back to String.
   */
  fixed4(value: number): this {
    const scaled = Math.round(value * 1e4);
    if (!Number.isFinite(scaled) || Math.abs(scaled) > Number.MAX_SAFE_INTEGER) return this.text(String(Math.round(value * 1e4) / 1e4));
    if (scaled === 0) return this.uint(0);
    this.reserve(24);
    if (scaled < 0) this.bytes[this.length++] = MINUS;
    const abs = Math.abs(scaled);
    const whole = Math.floor(abs / 1e4);
    let fraction = abs - whole * 1e4;
    this.uint(whole);
    if (fraction === 0) return this;
    this.bytes[this.length++] = DOT;
    let places = 4;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    for (let p = places - 1, div = 10 ** p; p >= 0; p--, div /= 10) this.bytes[this.length++] = ZERO + (Math.floor(fraction / div) % 10);
    return this;
  }

  /** The bytes written so far (a view, not a copy). */
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
