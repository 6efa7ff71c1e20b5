import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiPropertyOptional({ example: 'lines[2].minutes', description: 'The input field, as a path' })
  field?: string;

  @ApiProperty({ example: 'hours_in_band', description: 'A stable code from the error catalogues (x-error-codes lists them by module)' })
  rule: string;

  @ApiProperty({ example: 'must be at most 120 minutes per week at service level 1', description: 'The rule in words: Danish (the catalogue’s text) with Accept-Language: da, English otherwise' })
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The numbers behind the decision' })
  values?: Record<string, unknown>;
}

/** The one shape of every 4xx answer. */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 })
  statusCode: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error: string;

  @ApiProperty({ example: 'The request has invalid fields', description: 'What went wrong as a whole: Danish with Accept-Language: da, English otherwise' })
  message: string;

  @ApiProperty({ type: [ErrorDetailDto] })
  details: ErrorDetailDto[];
}
