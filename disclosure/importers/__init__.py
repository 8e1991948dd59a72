"""Importers: bring tables from elsewhere (部门决算软件 exports, last year's workbook) into the model."""
