/** Label and field selectors as the API server reads them (equality and existence; no set-based `in`). */

export type Selector = (labels: Readonly<Record<string, string>> | undefined) => boolean;

/** `a=b,c==d,e!=f,g,!h`; throws a message on what it cannot read. */
export function parseLabelSelector(text: string | null): Selector {
  if (!text) return () => true;
  const tests = text.split(',').map((part) => {
    const term = part.trim();
    let m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return (labels: Record<string, string>) => (op === '!=' ? labels[key] !== value : labels[key] === value);
    }
    m = /^(!?)([\w./-]+)$/.exec(term);
    if (m) {
      const [, not, key] = m as unknown as [string, string, string];
      return (labels: Record<string, string>) => key in labels !== (not === '!');
    }
    throw new Error(`unable to parse requirement: ${term}`);
  });
  return (labels) => tests.every((test) => test(labels ?? {}));
}

/** The name a `metadata.name=<name>` field selector asks for; throws on any other field selector. */
export function fieldSelectorName(text: string | null): string | undefined {
  if (!text) return undefined;
  const m = /^metadata\.name==?([\w.-]+)$/.exec(text.trim());
  if (!m) throw new Error(`field selector not supported by the fake: ${text}`);
  return m[1];
}
