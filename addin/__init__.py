"""决算公开 Excel 加载项：宏（macros.py）写在工作簿协议（book.py）之上，openpyxl 与 xlwings 两种实现；
公式函数在 udfs.py；功能区按钮经 jsgk.py 打开助手面板（gui/panel.py）。"""
