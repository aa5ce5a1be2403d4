"""`dossier bench`: a synthetic corpus (synth), the measured runs (runner, encoders, peer processes in proc,
peer) and the chart (report). May import eval/ and everything in index/ and ingest/."""
