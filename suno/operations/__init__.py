"""Operations on a song (extend, cover, whole song, stems, remaster, add vocals or instrumental, upload,
video, timed lyrics) and personas: validated before paying, run on the account that owns the source."""
