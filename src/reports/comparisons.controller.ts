import { Body, Controller, Get, Post, Query, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import type { Comparison } from './comparison.rules';
import { ComparisonsService, type ComparisonImportResult } from './comparisons.service';

export class ComparisonQueryDto {
  @ApiProperty({ example: 2025, minimum: 2007, maximum: 2100, type: 'integer', description: 'The year compared' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(2007)
  @Max(2100)
  period: number;
}

export class ComparisonImportDto {
  @ApiProperty({ format: 'uuid', description: 'The import, as the audit log names it' }) importId: string;
  @ApiProperty({ description: 'Rows stored' }) rows: number;
  @ApiProperty({ description: 'Of those, rows that replaced figures stored before' }) replaced: number;
  @ApiProperty({ type: [Number], description: 'The years the file held' }) periods: number[];
}

export class ComparisonFiguresDto {
  @ApiProperty({ type: String, nullable: true, example: '751', description: 'Three-digit municipality code' }) municipalityCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Aarhus' }) municipalityName: string | null;
  @ApiProperty({ description: 'Persons with a mentor in the year' }) personsWithMentor: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The population or target group they are counted in' }) population: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Cost in øre; null when not published' }) costOre: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.49, description: 'Persons with a mentor per 100 of the population, two decimals rounded half up' }) sharePercent: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Cost per person with a mentor in øre, rounded half up' }) costPerPersonWithMentorOre: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Cost per person of the population in øre, rounded half up' }) costPerInhabitantOre: number | null;
}

export class MunicipalityDto {
  @ApiProperty({ example: '840' }) code: string;
  @ApiProperty({ example: 'Rebild' }) name: string;
}

export class ComparisonDto {
  @ApiProperty({ example: 2025 }) period: number;
  @ApiProperty({ type: MunicipalityDto, nullable: true, description: 'This municipality (MUNICIPALITY_CODE); null when not configured' }) municipality: MunicipalityDto | null;
  @ApiProperty({ type: ComparisonFiguresDto, description: 'This municipality from the portal: citizens with an approved grant in the year, approved spending excl. VAT; the population from its published row' }) own: ComparisonFiguresDto;
  @ApiProperty({ type: ComparisonFiguresDto, nullable: true, description: 'This municipality’s published row, when imported' }) ownPublished: ComparisonFiguresDto | null;
  @ApiProperty({ type: [ComparisonFiguresDto], description: 'The other municipalities’ published figures, the highest share first' }) others: ComparisonFiguresDto[];
}

/** Comparison with other municipalities (002): published figures imported from CSV, this municipality beside them. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('finance', 'admin', 'procurement')
@ApiErrors(401, 403, 422)
@Controller('api/v1/comparisons')
export class ComparisonsController {
  constructor(private readonly comparisons: ComparisonsService) {}

  @Post('import')
  @Roles('finance')
  @ApiOperation({
    summary: 'Import published municipal figures (finance): text/csv in the shape of Jobindsats’ mentor tables; a file with any bad row is refused whole',
    description:
      'Columns (header row, ";" or ","): område|kommune|municipality ("751 Aarhus", "Aarhus" or "751"), optionally kommunekode|municipality_code, periode|period|år (a year 2007–2100), personer_med_mentor|persons_with_mentor and befolkning|målgruppe|population (whole persons, 1234 or 1.234), optionally udgift_kr|cost (kroner, 1.234.567,89; empty when not published). Unknown municipalities (not one of the 98), malformed numbers, a population below the persons with a mentor and a municipality twice in a year are refused with a detail per row and column (`rows[N].column`), in the language asked for. A municipality’s figures of a year replace those stored before. At most 512 KiB and 5,000 rows. Audited.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'Område;Periode;Personer med mentor;Befolkning;Udgift kr\r\n751 Aarhus;2025;1.234;250.000;12.345.678,50\r\n' } })
  @ApiCreatedResponse({ type: ComparisonImportDto })
  @ApiErrors(413, 415)
  import(@Body() body: unknown, @CurrentActor() actor: Actor): Promise<ComparisonImportResult> {
    if (typeof body !== 'string') throw new UnsupportedMediaTypeException('Send the figures as text/csv');
    return this.comparisons.import(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'This municipality beside the others in a year: share of the population with a mentor, cost per person with a mentor and per inhabitant' })
  @ApiOkResponse({ type: ComparisonDto })
  comparison(@Query() query: ComparisonQueryDto): Promise<Comparison> {
    return this.comparisons.comparison(query.period);
  }
}
