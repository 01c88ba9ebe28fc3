"""Renderers: each turns a Grade (or a contract result) into one output format. Render only."""
