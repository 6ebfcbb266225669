"""The demo city: 鶴ヶ島市 with its real plan frame and illustrative content (デモ用の架空データ).

`keikaku load-demo` (and `make run`) calls `demo_load`; see loader.py.
"""
