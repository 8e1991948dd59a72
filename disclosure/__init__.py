"""部门决算公开助手的核心：纯 Python，不依赖 Qt 与 xlwings。"""

__version__ = "0.1.0"
