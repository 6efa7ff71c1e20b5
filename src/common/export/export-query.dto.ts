import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** How an export is asked for: for people (the default) in Danish or English, or the machine table for integrators. */
export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['raw'], description: 'raw: the machine table (codes, whole øre and minutes, no header or totals) for integrators; left out: the table for people' })
  @IsOptional()
  @IsIn(['raw'])
  format?: 'raw';

  @ApiPropertyOptional({ enum: ['da', 'en'], default: 'da', description: 'The language of the headers and labels of the table for people' })
  @IsOptional()
  @IsIn(['da', 'en'])
  lang?: 'da' | 'en';
}

export interface ExportShape {
  raw: boolean;
  lang: 'da' | 'en';
}

export function exportShape(query: ExportQueryDto): ExportShape {
  return { raw: query.format === 'raw', lang: query.lang ?? 'da' };
}
