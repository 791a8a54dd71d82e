"""Jupyter's kernel conformance suite (jupyter_kernel_test) against the stratolab kernel.

Run by test/kernel/conformance.test.ts with JUPYTER_PATH pointing at a
kernelspec installed into a temporary prefix.
"""
import unittest

import jupyter_kernel_test


class StratolabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "stratolab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("some error")'

    completion_samples = [
        {"text": "const abcdefgh = 1; abcdef", "matches": {"abcdefgh"}},
    ]

    complete_code_samples = ["1 + 1", "const x = 1;", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const s = `abc", "if (true) {"]
    invalid_code_samples = ["1 +* 2", ") x (", "const = ;"]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": "ab"},
    ]
    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": 'import * as tslab from "tslab"; tslab.display.html("<b>hi</b>")', "mime": "text/html"},
        {"code": 'import * as tslab2 from "tslab"; tslab2.display.png(new Uint8Array([137, 80, 78, 71]))', "mime": "image/png"},
    ]

    code_inspect_sample = "Math.max"

    code_clear_output = "(globalThis as any).__stratolab_kernel__.clearOutput()"
    code_page_something = '(globalThis as any).__stratolab_kernel__.page({"text/plain": "some help text"})'


if __name__ == "__main__":
    unittest.main()
