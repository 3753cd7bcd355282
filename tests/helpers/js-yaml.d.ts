// js-yaml ships no types of its own; the containers test needs only `load`. It is in
// node_modules as a dependency of eslint (see the report of issue 12: declare it, or `yaml`, as
// a dev dependency).
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
