/**
 * Property access over a keyed store (`run.config.lr`, `run.summary.best = 1`): the listed
 * methods stay methods (bound to the store); any other property name is a key.
 */
export interface KeyedStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete?(key: string): void;
  keys(): string[];
}

export function keyedView<T extends KeyedStore>(
  store: T,
  methods: ReadonlySet<string>,
): T & Record<string, unknown> {
  const present = (prop: string | symbol): prop is string =>
    typeof prop === "string" && store.get(prop) !== undefined;
  return new Proxy(store, {
    get(target, prop) {
      if (typeof prop === "symbol" || methods.has(prop)) {
        const member: unknown = Reflect.get(target, prop, target);
        return typeof member === "function"
          ? (member as (...args: unknown[]) => unknown).bind(target)
          : member;
      }
      return target.get(prop);
    },
    set(target, prop, value) {
      if (typeof prop === "symbol") return false;
      target.set(prop, value);
      return true;
    },
    deleteProperty(target, prop) {
      if (typeof prop === "symbol" || target.delete === undefined) return false;
      target.delete(prop);
      return true;
    },
    has: (_target, prop) => present(prop),
    ownKeys: (target) => target.keys(),
    getOwnPropertyDescriptor: (target, prop) =>
      present(prop)
        ? { enumerable: true, configurable: true, writable: true, value: target.get(prop) }
        : undefined,
  }) as T & Record<string, unknown>;
}
