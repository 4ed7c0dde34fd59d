"""Messages every calculator shares: generic input errors and the widget's chrome."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors: any model -------------------------------------------------------------
    "wrong_type": {
        "en": "{field}: expected {expected}, got {got}.",
        "zh": "{field}：应为{expected}，实际是 {got}。",
    },
    "not_integer": {
        "en": "{field}: '{value}' is not a whole number.",
        "zh": "{field}：“{value}”不是整数。",
    },
    "out_of_range": {
        "en": "{field}: {value} is out of range ({low} to {high}).",
        "zh": "{field}：{value} 超出范围（{low} 到 {high}）。",
    },
    "empty": {
        "en": "{field} is empty.",
        "zh": "{field} 不能为空。",
    },
    "unknown_calculator": {
        "en": "Unknown calculator '{name}'.",
        "zh": "没有名为“{name}”的计算器。",
    },
    "bad_choice": {
        "en": "{field}: '{value}' is not one of {choices}.",
        "zh": "{field}：“{value}”不是可选值（{choices}）之一。",
    },
    "label.params": {"en": "input", "zh": "输入"},
    # --- calculator chrome, shared by every calculator ------------------------------------------
    "calc.title.umask": {"en": "umask calculator", "zh": "umask 计算器"},
    "calc.status.default": {
        "en": "Showing the result for the default input. Change any field to recompute "
              "(runs Python in your browser; nothing is uploaded).",
        "zh": "当前显示默认输入的结果。修改任一输入即可重新计算"
              "（Python 在你的浏览器里运行，不上传任何数据）。",
    },
    "calc.status.loading": {"en": "Loading Python in your browser…",
                            "zh": "正在浏览器中加载 Python……"},
    "calc.status.ready": {"en": "Ready: results update as you type.",
                          "zh": "已就绪：输入时结果会自动更新。"},
    "calc.status.failed": {"en": "Python could not be loaded in this browser; the result shown "
                                 "is for the default input. Use the CLI instead: {cli}",
                           "zh": "无法在此浏览器中加载 Python，下面是默认输入的结果。"
                                 "也可以改用命令行：{cli}"},
    "calc.error": {"en": "Input error", "zh": "输入有误"},
    "calc.copy_link": {"en": "Link to this result", "zh": "本结果的链接"},
}
