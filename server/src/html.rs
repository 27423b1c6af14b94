//! Text written into HTML the server renders by hand (the API docs page,
//! the accuracy page, the search page): one escaping rule and one
//! document head for all of them.

pub use search_page::escape;
pub use search_page::render::document_head;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_table_cannot_break_out_of_the_page() {
        assert_eq!(
            escape("<script>\"&\"</script>"),
            "&lt;script&gt;&quot;&amp;&quot;&lt;/script&gt;"
        );
    }
}
