"""Messages every calculator shares: generic input errors and the widget's chrome."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors: any model -------------------------------------------------------------
    "wrong_type": {
        "en": "{field}: expected {expected}, got {got}.",
        "zh": "{field}：应为{expected}，实际是{got}。",
    },
    "not_integer": {
        "en": "{field}: '{value}' is not a whole number.",
        "zh": "{field}：“{value}”不是整数。",
    },
    "not_positive_number": {
        "en": "{field}: '{value}' is not a positive number.",
        "zh": "{field}：“{value}”不是正数。",
    },
    "not_ascii_digit": {
        "en": "{field}: '{value}' has a digit other than 0-9 ('{char}'); type it with 0-9.",
        "zh": "{field}：“{value}”里有 0-9 以外的数字（“{char}”），请用 0-9 输入。",
    },
    "out_of_range": {
        "en": "{field}: {value} is out of range ({low} to {high}).",
        "zh": "{field}：{value} 超出范围（{low} 到 {high}）。",
    },
    "empty": {
        "en": "{field} is empty.",
        "zh": "{field} 不能为空。",
    },
    "too_long": {
        "en": "{field}: more than {limit} characters.",
        "zh": "{field}：超过 {limit} 个字符。",
    },
    "unknown_calculator": {
        "en": "Unknown calculator '{name}'.",
        "zh": "没有名为“{name}”的计算器。",
    },
    "unknown_field": {
        "en": "'{name}' is not an input of this calculator; its inputs are {names}.",
        "zh": "“{name}”不是这个计算器的输入项；它的输入项有 {names}。",
    },
    "field_twice": {
        "en": "{field} is given twice ({names}).",
        "zh": "{field} 给了两次（{names}）。",
    },
    "bad_choice": {
        "en": "{field}: '{value}' is not one of {choices}.",
        "zh": "{field}：“{value}”不是可选值（{choices}）之一。",
    },
    "unreadable": {
        "en": "{field}: cannot read {path}: {reason}.",
        "zh": "{field}：无法读取 {path}：{reason}。",
    },
    "reason.no_such_file": {"en": "no such file", "zh": "文件不存在"},
    "reason.permission": {"en": "permission denied", "zh": "没有读取权限"},
    "reason.directory": {"en": "it is a directory", "zh": "这是一个目录"},
    "reason.not_utf8": {"en": "it is not UTF-8 text", "zh": "不是 UTF-8 文本"},
    "reason.other": {"en": "error {code}", "zh": "错误 {code}"},
    # A message about one field's value that does not name the field itself.
    "field_error": {"en": "{field}: {message}", "zh": "{field}：{message}"},
    "field.params": {"en": "input", "zh": "输入"},
    # The types a JSON value can have, as wrong_type names them.
    "type.integer": {"en": "a whole number", "zh": "整数"},
    "type.number": {"en": "a number", "zh": "数字"},
    "type.text": {"en": "text", "zh": "文本"},
    "type.boolean": {"en": "true or false", "zh": "布尔值（true 或 false）"},
    "type.object": {"en": "an object", "zh": "对象"},
    "type.list": {"en": "a list", "zh": "列表"},
    "type.null": {"en": "nothing (null)", "zh": "空值（null）"},
    "type.other": {"en": "something else", "zh": "其他类型"},
    # --- the command line -------------------------------------------------------------------
    "cli.description": {"en": "Calculators behind the opsnotes site.",
                        "zh": "opsnotes 网站背后的计算器。"},
    "cli.lang": {"en": "language of messages (default: from LANG/LC_ALL)",
                 "zh": "消息的语言（默认按 LANG/LC_ALL）"},
    "cli.json": {"en": "print the full result as JSON", "zh": "以 JSON 输出完整结果"},
    "cli.default": {"en": "{label} (default: {value})", "zh": "{label}（默认：{value}）"},
    "cli.file": {"en": "{label}: a file, - for standard input", "zh": "{label}：文件，- 表示标准输入"},
    "cli.negate": {"en": "turn off: {label}", "zh": "关闭：{label}"},
    "cli.modes": {"en": "{flags} belong to different modes: choose one with {flag}",
                  "zh": "{flags} 属于不同的模式：请用 {flag} 指定一个"},
    # --- calculator chrome, shared by every calculator ------------------------------------------
    # What the page says before any script runs, and so all along with JavaScript off.
    "calc.status.nojs": {
        "en": "Showing the result for the default input. Recomputing needs JavaScript (Python runs "
              "in your browser); without it, run the same calculator on your machine: {cli}",
        "zh": "当前显示默认输入的结果。重新计算需要 JavaScript（Python 在你的浏览器里运行）；"
              "也可以在自己的机器上运行同一个计算器：{cli}",
    },
    "calc.status.default": {
        "en": "Showing the result for the default input. Change any field to recompute "
              "(runs Python in your browser; nothing is uploaded).",
        "zh": "当前显示默认输入的结果。修改任一输入即可重新计算"
              "（Python 在你的浏览器里运行，不上传任何数据）。",
    },
    "calc.status.loading": {"en": "Loading Python in your browser…",
                            "zh": "正在浏览器中加载 Python……"},
    "calc.status.stale": {"en": "Loading Python in your browser… the result below is still for "
                                "the earlier input.",
                          "zh": "正在浏览器中加载 Python……下面仍是之前输入的结果。"},
    "calc.status.ready": {"en": "Ready: results update as you type.",
                          "zh": "已就绪：输入时结果会自动更新。"},
    "calc.status.failed": {"en": "Python could not be loaded in this browser, so the result below "
                                 "is for an earlier input. Retry, or run the calculator on your "
                                 "machine: {cli} (its --help lists the fields).",
                           "zh": "无法在此浏览器中加载 Python，下面是之前输入的结果。可以重试，"
                                 "或在自己的机器上运行：{cli}（--help 列出所有输入项）。"},
    "calc.status.retry": {"en": "Retry", "zh": "重试"},
    "calc.error": {"en": "Input error", "zh": "输入有误"},
    "calc.presets": {"en": "Try:", "zh": "试一试："},
    "calc.copy_link": {"en": "Copy link to this result", "zh": "复制此结果的链接"},
    "calc.link_copied": {"en": "Link copied: it opens this calculator with the values above.",
                         "zh": "链接已复制：打开它即可看到上面这些输入的结果。"},
    # {fields} is filled in by the page's script: the labels of the values left out.
    "calc.link_copied_without": {
        "en": "Link copied, but without “{fields}”: too long for a link (servers refuse links of "
              "more than about 8 KB), so the link opens with this page's default there. "
              "Send that text along separately.",
        "zh": "链接已复制，但不含“{fields}”：内容太长，放不进链接（服务器会拒绝超过约 8 KB 的链接），"
              "打开链接时这一项是本页的默认值。这段文字请另外发送。"},
    # Between two field labels inside the quotes above.
    "calc.list_separator": {"en": "”, “", "zh": "”、“"},
}
