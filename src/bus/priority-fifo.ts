/**
 * A queue of items by priority: the highest priority first, first in first out within one
 * priority. Each priority level is an array read from a moving head, so taking is O(1).
 */
export class PriorityFifo<T> {
  private readonly levels: { items: T[]; head: number }[];
  private count = 0;

  /** @param maxPriority highest level kept apart; higher priorities count as this one. */
  constructor(private readonly maxPriority: number) {
    this.levels = Array.from({ length: maxPriority + 1 }, () => ({ items: [], head: 0 }));
  }

  get size(): number {
    return this.count;
  }

  push(item: T, priority: number): void {
    const level = this.levels[Math.min(Math.max(priority, 0), this.maxPriority)];
    level?.items.push(item);
    this.count++;
  }

  shift(): T | undefined {
    for (let p = this.maxPriority; p >= 0; p--) {
      const level = this.levels[p];
      if (!level || level.head >= level.items.length) continue;
      const item = level.items[level.head] as T;
      level.head++;
      this.count--;
      if (level.head >= level.items.length) {
        level.items = [];
        level.head = 0;
      } else if (level.head > 1024 && level.head * 2 > level.items.length) {
        level.items = level.items.slice(level.head);
        level.head = 0;
      }
      return item;
    }
    return undefined;
  }

  /** Removes every item (closing the bus). */
  clear(): void {
    for (const level of this.levels) {
      level.items = [];
      level.head = 0;
    }
    this.count = 0;
  }
}
