"""The Chinese messages of extraction problems, in one place so wording stays consistent."""

from __future__ import annotations

from core.codes import Code
from core.model import Problem

NOT_FOUND = "文件不存在或无法读取（可能已被移走或没有读取权限）。"
EMPTY = "文件为空（0 字节），请重新提交。"
CORRUPT = "文件已损坏或不完整，无法打开，请重新提交完整文件。"
ENCRYPTED = "文件已加密（设有打开密码），无法读取，请提交未加密的文件。"
EXT_MISMATCH = "文件内容与扩展名不符（扩展名为 {ext}，实际为 {fmt}），请确认后重新提交。"
UNKNOWN = "无法识别的文件格式（扩展名 {ext}），请转换为 PDF 后重新提交。"
FOREIGN = "文件为 {fmt} 格式，系统无法读取，请转换为 PDF 后重新提交。"
ASK_PDF = "如无法确认，请转换为 PDF 后重新提交。"
OFD_BROKEN = "OFD 版式文档结构不完整（{why}），无法读取，请导出为 PDF 后重新提交。"
LEGACY_NO_SOFFICE = "文件为 {fmt} 格式，系统暂无法读取，请另存为 {target} 后重新提交。"
LEGACY_CONVERT_FAILED = "{fmt} 文件转换失败（{why}），请另存为 {target} 后重新提交。"
UNSUPPORTED_DOCUMENT = "文件是{fmt}，系统暂无法读取，请另存为 PDF（演示文稿可另存为 PPTX）后重新提交。"
ZIP_AS_DOCUMENT = "文件是压缩包，不是单个文档，请解压后分别提交。"
NO_TEXT_NO_OCR = "本页没有可用的文字层（无文字或文字为乱码），且未启用文字识别（OCR），内容无法读取。"
OCR_FAILED = "第 {page} 页文字识别失败（{why}），本页内容可能缺失，请人工核对。"
OCR_TIMEOUT = "第 {page} 页文字识别超时（超过 {seconds:.0f} 秒），本页内容缺失，请人工核对。"
PAGE_RENDER_FAILED = "第 {page} 页无法渲染（{why}），本页内容缺失，请人工核对。"
TOO_MANY_PAGES = "文件共 {total} 页，超过上限 {limit} 页，只读取了前 {limit} 页。"
READ_TIMEOUT = ("读取该文件超过了时间上限（{seconds:.0f} 秒），已停止读取，内容未能读出。文件结构可能异常（如内部引用成环）"
                "或页数过多。请人工查看原件，或请提交单位另存为普通 PDF 后重新提交。")
READ_MEMORY = ("读取该文件占用的内存超过了上限（{mb} MB），已停止读取，内容未能读出。文件可能含有解压后极大的图片或异常结构。"
               "请人工查看原件，或请提交单位压缩图片、另存为普通 PDF 后重新提交。")
READER_DIED = "读取该文件时读取程序异常退出（文件结构异常或过大），内容未能读出。请人工查看原件，或请提交单位另存为 PDF 后重新提交。"
DAMAGED_PDF = ("文件已损坏（文件不完整，可能在传输中被截断），系统已尽量修复：{readable}。"
               "缺失的内容无法读出，请提交单位重新提交完整文件。")
SLIDE_FAILED = "第 {page} 张幻灯片读取出错（{why}），部分内容可能缺失。"


def unreadable(message: str, file: str | None = None) -> Problem:
    return Problem(code=Code.UNREADABLE_FILE, message=message, file=file)
