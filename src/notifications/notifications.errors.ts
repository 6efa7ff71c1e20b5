/** The error codes of notifications, grant messages and deputies; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum NotificationsErrorCode {
  NotificationTypeOffered = 'notification_type_offered',
  NotificationRequired = 'notification_required',
  SessionDateRequired = 'session_date_required',
  SessionDateNotAllowed = 'session_date_not_allowed',
  DelegatingRole = 'delegating_role',
  DeputyNotSelf = 'deputy_not_self',
  DeputySameRole = 'deputy_same_role',
  DelegationInPast = 'delegation_in_past',
  DelegationOverlap = 'delegation_overlap',
  ActiveUser = 'active_user',
  MailNotFailed = 'mail_not_failed',
}
