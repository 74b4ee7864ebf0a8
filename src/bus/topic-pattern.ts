/**
 * AMQP topic matching: routing keys and patterns are dot-separated words; in a pattern `*`
 * stands for exactly one word and `#` for zero or more words.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const words = pattern.split('.');
  const key = routingKey.split('.');
  // Dynamic programming over suffixes, O(pattern words × key words): no backtracking blow-up on many `#`.
  // `next[k]` tells whether words[p + 1..] matches key[k..].
  let next = key.map(() => false).concat(true);
  for (let p = words.length - 1; p >= 0; p--) {
    const current = new Array<boolean>(key.length + 1).fill(false);
    const word = words[p];
    for (let k = key.length; k >= 0; k--) {
      if (word === '#') current[k] = next[k] === true || (k < key.length && current[k + 1] === true);
      else current[k] = k < key.length && (word === '*' || word === key[k]) && next[k + 1] === true;
    }
    next = current;
  }
  return next[0] === true;
}
