"""Sheets and per-student exam papers, their rendering, GATE marking and exports."""
