/**
 * Thrown at synth when a function's access or trigger names a table, bucket or topic that the
 * declaration does not define: the wiring is inconsistent, so nothing is built from it.
 *
 * @example
 * ```ts
 * throw new UndeclaredResourceError('No table "orders" is declared');
 * ```
 */
export class UndeclaredResourceError extends Error {
  override readonly name = "UndeclaredResourceError";
}
