//! Temporary stand-in for the flow module while it is written (same interface).
use std::ops::Range;
pub struct FlowError { pub span: Range<usize>, pub message: String, pub hint: Option<String> }
pub struct Graph;
pub fn is_flowchart(body: &str) -> bool {
    body.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with("%%")).is_some_and(|l| l.starts_with("flowchart") || l.starts_with("graph"))
}
pub fn parse(body: &str) -> Result<Graph, Vec<FlowError>> {
    if body.trim().is_empty() { return Err(vec![FlowError { span: 0..0, message: "empty flow".into(), hint: None }]); }
    Ok(Graph)
}
pub struct RenderOptions<'a> { pub id: &'a str, pub title: Option<&'a str> }
pub fn render(_g: &Graph, o: &RenderOptions) -> String { format!("<figure class=\"cg-flow\" id=\"{}\"></figure>", o.id) }
