import { Component, type FunctionComponent, h } from "preact";

function shallowEqual(a: object, b: object): boolean {
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}

/**
 * A component that renders again only when a prop changes identity (preact/compat's memo,
 * without pulling in compat): a long conversation re-renders one message, not five hundred.
 */
export function memo<P extends object>(render: FunctionComponent<P>) {
  return class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !shallowEqual(this.props, next);
    }
    override render() {
      return h(render, this.props);
    }
  };
}
