import { Workbook, type Worksheet } from 'exceljs';

/** An XLSX file read back the way a spreadsheet reads it (exceljs), its first sheet. */
export async function firstSheet(file: Buffer): Promise<Worksheet> {
  const workbook = new Workbook();
  // exceljs types its input as the Buffer of older @types/node.
  await workbook.xlsx.load(file as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  return workbook.worksheets[0];
}
