"""绩效自评 (部门整体 and 项目) and 绩效目标 tables: the model (model.py), their workbook sheets, import, checks
and the narrative's section 十三 build on it."""
