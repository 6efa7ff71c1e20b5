/** The error codes of the reports; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum ReportsErrorCode {
  ReportYear = 'report_year',
  ComparisonFileSize = 'comparison_file_size',
  ComparisonFileFormat = 'comparison_file_format',
  ComparisonFileEmpty = 'comparison_file_empty',
  ComparisonFileRows = 'comparison_file_rows',
  ComparisonColumnMissing = 'comparison_column_missing',
  ComparisonMunicipality = 'comparison_municipality',
  ComparisonPeriod = 'comparison_period',
  ComparisonNumber = 'comparison_number',
  ComparisonPopulation = 'comparison_population',
  ComparisonCost = 'comparison_cost',
  ComparisonRowDuplicate = 'comparison_row_duplicate',
}
