/** Bad input the user can fix (exit 2): the message says what is wrong and what to do. */
export class InputError extends Error {
  override readonly name = "InputError";
}
