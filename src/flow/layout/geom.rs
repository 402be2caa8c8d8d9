//! Plane geometry for the layout: points, rectangles and paths of lines and cubic curves,
//! with the intersection tests the quality checks use; it knows nothing about graphs.

/// A point in diagram coordinates (CSS pixels, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub x: f64,
    pub y: f64,
}

/// Shorthand for a [`Point`].
pub(crate) const fn pt(x: f64, y: f64) -> Point {
    Point { x, y }
}

/// An axis-aligned rectangle given by its centre and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub cx: f64,
    pub cy: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn left(&self) -> f64 {
        self.cx - self.w / 2.0
    }
    pub fn right(&self) -> f64 {
        self.cx + self.w / 2.0
    }
    pub fn top(&self) -> f64 {
        self.cy - self.h / 2.0
    }
    pub fn bottom(&self) -> f64 {
        self.cy + self.h / 2.0
    }
}

/// Intersection tests, used by the quality checks that hold the layout to its promises.
#[cfg(test)]
impl Rect {
    /// The same rectangle grown by `d` on every side (shrunk when `d` is negative).
    pub fn inflate(&self, d: f64) -> Rect {
        Rect { w: (self.w + 2.0 * d).max(0.0), h: (self.h + 2.0 * d).max(0.0), ..*self }
    }

    /// True when the interiors overlap.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.left() < o.right() && o.left() < self.right() && self.top() < o.bottom() && o.top() < self.bottom()
    }

    /// True when `p` is strictly inside.
    pub fn contains(&self, p: Point) -> bool {
        p.x > self.left() && p.x < self.right() && p.y > self.top() && p.y < self.bottom()
    }

    /// True when the segment `a`–`b` passes through the interior (Liang–Barsky clipping).
    pub fn hit_by_segment(&self, a: Point, b: Point) -> bool {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        let checks = [(-dx, a.x - self.left()), (dx, self.right() - a.x), (-dy, a.y - self.top()), (dy, self.bottom() - a.y)];
        for (p, q) in checks {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t1 - t0 > 1e-9
    }
}

/// One piece of a path, starting where the previous one ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Seg {
    /// A straight line to the point.
    Line(Point),
    /// A cubic Bézier curve: two control points, then the end.
    Cubic(Point, Point, Point),
}

/// A connected path of lines and curves.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub start: Point,
    pub segs: Vec<Seg>,
}

impl Path {
    pub fn new(start: Point) -> Self {
        Path { start, segs: Vec::new() }
    }

    /// Where the path currently ends.
    pub fn end(&self) -> Point {
        match self.segs.last() {
            Some(Seg::Line(p) | Seg::Cubic(_, _, p)) => *p,
            None => self.start,
        }
    }

    /// Adds a straight line, skipping empty ones.
    pub fn line_to(&mut self, p: Point) {
        if dist(self.end(), p) > 1e-9 {
            self.segs.push(Seg::Line(p));
        }
    }

    /// Adds a curve that leaves and arrives along the y axis: the S-bend edges make when
    /// they cross the gap between two layers (it stays inside the box spanned by its ends).
    pub fn bend_to(&mut self, p: Point) {
        let a = self.end();
        if (a.x - p.x).abs() < 0.5 {
            self.line_to(p);
        } else {
            let mid = (a.y + p.y) / 2.0;
            self.segs.push(Seg::Cubic(pt(a.x, mid), pt(p.x, mid), p));
        }
    }

    /// The path as a polyline, curves sampled finely enough for geometric checks.
    pub fn flatten(&self) -> Vec<Point> {
        let mut out = vec![self.start];
        let mut from = self.start;
        for seg in &self.segs {
            match *seg {
                Seg::Line(p) => out.push(p),
                Seg::Cubic(c1, c2, p) => {
                    for i in 1..=16 {
                        out.push(cubic_at(from, c1, c2, p, f64::from(i) / 16.0));
                    }
                }
            }
            from = seg_end(*seg);
        }
        out
    }

    /// Applies `f` to every point, control points included (for affine maps only).
    pub fn map(&self, f: impl Fn(Point) -> Point) -> Path {
        let segs = self
            .segs
            .iter()
            .map(|s| match *s {
                Seg::Line(p) => Seg::Line(f(p)),
                Seg::Cubic(a, b, c) => Seg::Cubic(f(a), f(b), f(c)),
            })
            .collect();
        Path { start: f(self.start), segs }
    }

    /// Shortens the path by `d` at its end, dropping final lines shorter than what is left
    /// to cut, so that the path still arrives from the same side (an arrowhead then covers
    /// the cut).
    pub fn trim_end(&mut self, mut d: f64) {
        while let Some(&last) = self.segs.last() {
            let from = self.segs.len().checked_sub(2).map_or(self.start, |i| seg_end(self.segs[i]));
            match last {
                Seg::Line(p) if dist(from, p) <= d && self.segs.len() > 1 => {
                    d -= dist(from, p);
                    self.segs.pop();
                }
                Seg::Line(p) => {
                    let u = unit(from, p);
                    let cut = d.min(dist(from, p) / 2.0);
                    self.segs.pop();
                    self.segs.push(Seg::Line(pt(p.x - u.x * cut, p.y - u.y * cut)));
                    return;
                }
                Seg::Cubic(a, b, p) => {
                    let u = unit(b, p);
                    self.segs.pop();
                    self.segs.push(Seg::Cubic(a, b, pt(p.x - u.x * d, p.y - u.y * d)));
                    return;
                }
            }
        }
    }
}

impl Path {
    /// The same path run backwards.
    pub fn reversed(&self) -> Path {
        let mut points = vec![self.start];
        points.extend(self.segs.iter().map(|&s| seg_end(s)));
        let mut out = Path::new(self.end());
        for (i, seg) in self.segs.iter().enumerate().rev() {
            let to = points[i];
            out.segs.push(match *seg {
                Seg::Line(_) => Seg::Line(to),
                Seg::Cubic(a, b, _) => Seg::Cubic(b, a, to),
            });
        }
        out
    }

    /// The path cut where it first enters `r` (it must start outside), as a polyline; the
    /// whole path when it never does.
    pub fn until_inside(&self, r: &Rect) -> Path {
        let points = self.flatten();
        let mut out = Path::new(self.start);
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if let Some(t) = entry(r, a, b) {
                out.line_to(pt(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t));
                return out;
            }
            out.line_to(b);
        }
        self.clone()
    }
}

/// Where on `a`–`b` (as a fraction) the segment reaches `r`'s outline, when `a` is outside
/// and `b` inside.
fn entry(r: &Rect, a: Point, b: Point) -> Option<f64> {
    let inside = |p: Point| p.x >= r.left() && p.x <= r.right() && p.y >= r.top() && p.y <= r.bottom();
    if inside(a) || !inside(b) {
        return None;
    }
    // Bisection: 30 halvings locate the crossing to well under a pixel.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if inside(pt(a.x + (b.x - a.x) * mid, a.y + (b.y - a.y) * mid)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

fn seg_end(seg: Seg) -> Point {
    match seg {
        Seg::Line(p) | Seg::Cubic(_, _, p) => p,
    }
}

fn cubic_at(a: Point, b: Point, c: Point, d: Point, t: f64) -> Point {
    let u = 1.0 - t;
    let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    pt(w0 * a.x + w1 * b.x + w2 * c.x + w3 * d.x, w0 * a.y + w1 * b.y + w2 * c.y + w3 * d.y)
}

/// Distance between two points.
pub(crate) fn dist(a: Point, b: Point) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// The unit vector from `a` to `b` (straight down when they coincide).
pub(crate) fn unit(a: Point, b: Point) -> Point {
    let d = dist(a, b);
    if d < 1e-9 { pt(0.0, 1.0) } else { pt((b.x - a.x) / d, (b.y - a.y) / d) }
}
