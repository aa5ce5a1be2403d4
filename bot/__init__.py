"""The edges: the command line and the Slack bot. They parse input, call index/, format output."""
