// The module is filled in by its own work; this file keeps the target buildable.
