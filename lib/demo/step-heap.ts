// A binary min-heap of steps by time. Tasks arrive in time order but their steps overlap with other
// tasks' steps; the heap holds only the steps of tasks still in flight, so output can be written in
// time order without keeping the whole data set in memory (100k records would otherwise spend
// most of their time in the garbage collector).

import type { Step } from "./task-context.ts";

export class StepHeap {
  private items: Step[] = [];

  get size(): number {
    return this.items.length;
  }

  push(step: Step): void {
    const items = this.items;
    items.push(step);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].at <= items[i].at) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  peekTime(): number {
    return this.items.length ? this.items[0].at : Infinity;
  }

  pop(): Step | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && items[l].at < items[smallest].at) smallest = l;
        if (r < items.length && items[r].at < items[smallest].at) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i], items[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
