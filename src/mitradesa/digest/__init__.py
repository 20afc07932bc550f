"""The reminder digest by e-mail: what each user may see that needs attention (agreements
ending, progress reports overdue, stages stalled), sent daily or weekly as each user chose."""
