"""A question answered: read it (question), retrieve passages (retrieve), choose and judge sentences
(choose, judge), or generate and verify (llm, generate, verify); answerer picks the mode. May import index/store."""
