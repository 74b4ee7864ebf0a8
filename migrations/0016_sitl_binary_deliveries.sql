-- Files the SDC owes may be binary (IDL SAVE selection files): their content is then kept as
-- base64 text, and content_encoding says how to turn the column back into the file's bytes.
alter table sitl_deliveries add column content_encoding text not null default 'utf8' check (content_encoding in ('utf8', 'base64'));
