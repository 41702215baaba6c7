"""What the secretariat sends on: the 初选合格名单, the 补交通知 per unit and the 附件3 summary sheet.

Plain functions over the run's results (core.model) that return bytes or write files, so the web app
and the command line produce the same documents.
"""
