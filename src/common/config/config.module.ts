import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from '../time/clock';
import { APP_CONFIG, AppConfig } from './app-config';

export { APP_CONFIG };

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }, Clock], exports: [APP_CONFIG, Clock] };
  }
}
