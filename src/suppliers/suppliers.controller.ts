import type { Request, Response } from 'express';
import { pageRequest, searchText } from '../common/web/list-query';
import { SUPPLIER_SORTS } from './supplier.store';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CatalogueEntryDto, CatalogueQueryDto, CreateSupplierDto, PutCatalogueEntryDto, SupplierDto, SupplierQueryDto, UpdateSupplierDto } from './suppliers.dto';
import { SuppliersService } from './suppliers.service';

const STAFF = ['admin', 'procurement', 'caseworker', 'team_leader', 'finance'] as const;

@ApiTags('suppliers')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get()
  @ApiOperation({ summary: 'Suppliers: staff see all, a supplier user only its own. q: part of the name, CVR or GLN number; sort by name, cvr or created; with q, sort, cursor or limit paged by `cursor`, the next and previous pages in the Link header' })
  @ApiOkResponse({
    type: [SupplierDto],
    headers: { Link: { description: 'The next and previous pages when there are any: `<…?cursor=…>; rel="next"`, `<…>; rel="prev"`', schema: { type: 'string' } } },
  })
  @ApiErrors(422)
  async list(@Scope() scope: AccessScope, @Query() query: SupplierQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SupplierDto[]> {
    if (query.q === undefined && query.sort === undefined && query.cursor === undefined && query.limit === undefined && query.dir === undefined) {
      return (await this.suppliers.list(scope)).map((s) => SupplierDto.from(s));
    }
    const page = await this.suppliers.page(searchText(query.q), pageRequest(query, SUPPLIER_SORTS, { limit: 100 }), scope);
    const link = (cursor: string, rel: string) => {
      const url = new URL(request.originalUrl, 'http://portal');
      url.searchParams.set('cursor', cursor);
      return `<${url.pathname}${url.search}>; rel="${rel}"`;
    };
    const links = [page.nextCursor ? link(page.nextCursor, 'next') : null, page.prevCursor ? link(page.prevCursor, 'prev') : null].filter((l) => l !== null);
    if (links.length > 0) response.setHeader('Link', links.join(', '));
    return page.items.map((s) => SupplierDto.from(s));
  }

  @Post()
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Register a supplier (procurement, admin)' })
  @ApiCreatedResponse({ type: SupplierDto })
  @ApiErrors(403, 409, 422)
  async create(@Body() body: CreateSupplierDto, @CurrentActor() actor: Actor): Promise<SupplierDto> {
    return SupplierDto.from(await this.suppliers.create(body, actor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One supplier; a supplier user sees only its own' })
  @ApiOkResponse({ type: SupplierDto })
  @ApiErrors(404)
  async get(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<SupplierDto> {
    return SupplierDto.from(await this.suppliers.get(id, scope));
  }

  @Patch(':id')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Change a supplier (procurement, admin)' })
  @ApiOkResponse({ type: SupplierDto })
  @ApiErrors(403, 404, 409, 422)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSupplierDto, @CurrentActor() actor: Actor): Promise<SupplierDto> {
    await this.suppliers.update(id, body, actor);
    return SupplierDto.from(await this.suppliers.get(id, AccessScope.unrestricted()));
  }

  @Get(':id/catalogue')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The supplier’s catalogue entry (staff); empty when none is written yet' })
  @ApiOkResponse({ type: CatalogueEntryDto })
  @ApiErrors(403, 404)
  async getCatalogue(@Param('id', ParseUUIDPipe) id: string): Promise<CatalogueEntryDto> {
    const { supplier, entry } = await this.suppliers.catalogueEntry(id);
    return CatalogueEntryDto.from(supplier, entry);
  }

  @Put(':id/catalogue')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Write the supplier’s catalogue entry (procurement, admin)' })
  @ApiOkResponse({ type: CatalogueEntryDto })
  @ApiErrors(403, 404, 422)
  async putCatalogue(@Param('id', ParseUUIDPipe) id: string, @Body() body: PutCatalogueEntryDto, @CurrentActor() actor: Actor): Promise<CatalogueEntryDto> {
    await this.suppliers.putCatalogueEntry(id, body, actor);
    const { supplier, entry } = await this.suppliers.catalogueEntry(id);
    return CatalogueEntryDto.from(supplier, entry);
  }
}

@ApiTags('suppliers')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Roles(...STAFF)
@Controller('api/v1/catalogue')
export class CatalogueController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get()
  @ApiOperation({ summary: 'The supplier catalogue for caseworkers: active suppliers’ entries, filtered by mentor type and target group' })
  @ApiOkResponse({ type: [CatalogueEntryDto] })
  @ApiErrors(422)
  async list(@Query() query: CatalogueQueryDto): Promise<CatalogueEntryDto[]> {
    return (await this.suppliers.catalogue(query)).map(({ supplier, entry }) => CatalogueEntryDto.from(supplier, entry));
  }
}
