/** Report settings editing: text inputs to a JSON merge patch (pure, unit-tested). */

/** Builds a JSON merge patch from edited text values; blank targets are cleared (null). */
export function settingsPatch(values: Record<string, string>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [path, raw] of Object.entries(values)) {
    const keys = path.split('.');
    const last = keys.pop();
    if (!last) continue;
    let node = patch;
    for (const k of keys) {
      const child = (node[k] ?? {}) as Record<string, unknown>;
      node[k] = child;
      node = child;
    }
    const text = raw.trim();
    node[last] = text === '' ? null : Number(text);
  }
  return patch;
}
