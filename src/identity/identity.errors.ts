/** The error codes of sign-in, sessions and users; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum IdentityErrorCode {
  CsrfToken = 'csrf_token',
  SignInAttempts = 'sign_in_attempts',
  SignInCapacity = 'sign_in_capacity',
  /** The user's organisation is deactivated; the suppliers module refuses its writes with the same code. */
  SupplierActive = 'supplier_active',
  NotSelf = 'not_self',
  CurrentPassword = 'current_password',
  DiffersFromCurrent = 'differs_from_current',
  RequiredForSupplierRole = 'required_for_supplier_role',
  OnlyForSupplierRole = 'only_for_supplier_role',
}
