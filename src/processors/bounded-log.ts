/** Collects a process's output keeping the first and last `limit / 2` bytes. */
export class BoundedLog {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(private readonly limit = 256 * 1024) {}

  append(text: string): void {
    const half = this.limit / 2;
    if (this.head.length < half) {
      const room = half - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text.length === 0) return;
    this.tail += text;
    if (this.tail.length > half) {
      this.dropped += this.tail.length - half;
      this.tail = this.tail.slice(-half);
    }
  }

  toString(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n[... ${this.dropped} characters of log omitted ...]\n${this.tail}`;
  }
}
