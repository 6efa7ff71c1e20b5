/** The error codes of the reports; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum ReportsErrorCode {
  ReportYear = 'report_year',
}
