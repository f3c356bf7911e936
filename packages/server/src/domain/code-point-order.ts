/** The one code-point order, shared with the SDK (artifact manifests) through protocol. */
export { compareCodePoints } from "@stepwise/protocol";
