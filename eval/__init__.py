"""Gold data, metrics, the eval runner and the benchmark.

`eval.metrics` holds the pure scoring functions, `eval.runner.run_eval` the job behind
`dossier eval`, `eval.plumbing` the generated footnote checks, `eval.baseline_llamaindex`
the unmodified llama-index pipeline the product is compared with.
"""
