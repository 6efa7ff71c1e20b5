import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Supplier } from './supplier.entity';
import { SuppliersService } from './suppliers.service';

@Module({ imports: [TypeOrmModule.forFeature([Supplier])], providers: [SuppliersService], exports: [SuppliersService] })
export class SuppliersModule {}
