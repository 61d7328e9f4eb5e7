//! The checker proper: each node of the syntax tree resolved, typed and compiled, every error
//! collected with its span, a poisoned node in its place so that one mistake is reported once.

use super::*;
pub(super) struct Compiler<'s> {
    pub(super) src: Arc<str>,
    pub(super) scope: &'s mut Scope,
    pub(super) errors: Vec<ExprError>,
}

impl Compiler<'_> {
    fn node(&self, kind: CKind, ty: Type, span: &ExprSpan) -> CExpr {
        CExpr {
            kind,
            ty,
            span: span.clone(),
            src: self.src.clone(),
        }
    }

    /// Records an error and returns a placeholder of the poisoned type, so checking goes on
    /// without reporting the same mistake again.
    fn fail(&mut self, err: ExprError, span: &ExprSpan) -> CExpr {
        self.errors.push(err);
        self.node(CKind::Lit(Value::Null("error".into())), Type::Error, span)
    }

    pub(super) fn expr(&mut self, e: &Expr) -> CExpr {
        let span = &e.span;
        match &e.kind {
            ExprKind::Int(i) => self.node(CKind::Lit(Value::Int(*i)), Type::Int, span),
            ExprKind::Decimal(d) => self.node(CKind::Lit(Value::Num(*d)), Type::Number, span),
            ExprKind::Percent(p) => {
                self.node(CKind::Lit(Value::Percent(*p / 100.0)), Type::Percent, span)
            }
            ExprKind::Str(s) => {
                self.node(CKind::Lit(Value::Str(s.as_str().into())), Type::Str, span)
            }
            ExprKind::Bool(b) => self.node(CKind::Lit(Value::Bool(*b)), Type::Bool, span),
            ExprKind::Null => self.node(CKind::Lit(Value::Null("null".into())), Type::Null, span),
            ExprKind::Date { year, month, day } => match Date::new(*year, *month, *day) {
                Some(d) => self.node(CKind::Lit(Value::Date(d)), Type::Date, span),
                None => self.fail(
                    ExprError::new(
                        "expr::invalid_date",
                        span.clone(),
                        format!("there is no date {year:04}-{month:02}-{day:02}"),
                        "no such day",
                    ),
                    span,
                ),
            },
            ExprKind::Regex { pattern, flags } => self.regex(pattern, flags, span),
            ExprKind::List(items) => {
                let items: Vec<CExpr> = items.iter().map(|i| self.expr(i)).collect();
                let elem = items
                    .iter()
                    .map(|i| i.ty.clone())
                    .find(|t| *t != Type::Null)
                    .unwrap_or(Type::Null);
                for i in &items {
                    if !i.ty.comparable(&elem) {
                        self.errors.push(ExprError::new(
                            "expr::type_mismatch",
                            i.span.clone(),
                            format!("a list holds values of one type: this is {}, the list's first is {}", i.ty.a(), elem.a()),
                            i.ty.a(),
                        ));
                    }
                }
                self.node(CKind::List(items), Type::list(elem), span)
            }
            ExprKind::Name(name) => self.name(name, span),
            ExprKind::Member {
                object,
                name,
                name_span,
            } => {
                let obj = self.expr(object);
                if matches!(obj.ty, Type::Null | Type::Error) {
                    return CExpr {
                        ty: Type::Error,
                        ..obj
                    };
                }
                let members = obj.ty.members();
                match members.iter().find(|m| m.name == name) {
                    Some(m) => {
                        let ty = (m.ty)();
                        self.node(CKind::Member(Box::new(obj), m.name), ty, span)
                    }
                    None => {
                        let names: Vec<&str> = members.iter().map(|m| m.name).collect();
                        let mut err = ExprError::new(
                            "expr::unknown_member",
                            name_span.clone(),
                            format!("{} has no `{name}`", obj.ty.a()),
                            "unknown member",
                        );
                        err.help = Some(match suggest(name, names.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None if names.is_empty() => format!("{} has no members", obj.ty.a()),
                            None => format!("{} has: {}", obj.ty.a(), names.join(", ")),
                        });
                        self.fail(err, span)
                    }
                }
            }
            ExprKind::Call {
                func,
                func_span,
                args,
            } => self.call(func, func_span, args, span),
            ExprKind::Unary { op, operand } => {
                let x = self.expr(operand);
                let ty = match op {
                    UnaryOp::Not => {
                        self.expect_bool(&x, "`not`");
                        Type::Bool
                    }
                    UnaryOp::Neg => {
                        if !x.ty.is_numeric() {
                            self.errors.push(ExprError::new(
                                "expr::type_mismatch",
                                x.span.clone(),
                                format!("`-` needs a number, but this is {}", x.ty.a()),
                                x.ty.a(),
                            ));
                        }
                        x.ty.clone()
                    }
                };
                self.node(CKind::Unary(*op, Box::new(x)), ty, span)
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => self.binary(*op, op_span, lhs, rhs, span),
            ExprKind::Quantifier {
                kind,
                var,
                var_span,
                list,
                cond,
            } => {
                let list = self.expr(list);
                let elem = match &list.ty {
                    Type::List(t) => (**t).clone(),
                    Type::Null | Type::Error => Type::Error,
                    other => {
                        self.errors.push(ExprError::new(
                            "expr::type_mismatch",
                            list.span.clone(),
                            format!(
                                "`{}` goes over a list, but this is {}",
                                kind.keyword(),
                                other.a()
                            ),
                            other.a(),
                        ));
                        Type::Error
                    }
                };
                self.check_shadow(var, var_span);
                let slot = self.scope.push_var(var, elem);
                let cond = self.expr(cond);
                self.scope.pop_var();
                self.expect_bool(&cond, &format!("the condition of `{}`", kind.keyword()));
                let ty = (operators::quantifier(*kind).ret)();
                self.node(
                    CKind::Quant(*kind, slot, Box::new(list), Box::new(cond)),
                    ty,
                    span,
                )
            }
        }
    }

    fn check_shadow(&mut self, var: &str, span: &ExprSpan) {
        if is_global(var) || self.scope.has_let(var) {
            self.errors.push(
                ExprError::new(
                    "expr::shadowed_name",
                    span.clone(),
                    format!("`{var}` is already a name here"),
                    "choose another name",
                )
                .help("loop variables must not hide `report`, `sections`, `figures`, `paragraphs` or a `let` binding"),
            );
        }
    }

    fn expect_bool(&mut self, e: &CExpr, what: &str) {
        if !matches!(e.ty, Type::Bool | Type::Null | Type::Error) {
            self.errors.push(
                ExprError::new(
                    "expr::type_mismatch",
                    e.span.clone(),
                    format!("{what} needs true or false, but this is {}", e.ty.a()),
                    e.ty.a(),
                )
                .help(condition_help(&e.ty)),
            );
        }
    }

    fn name(&mut self, name: &str, span: &ExprSpan) -> CExpr {
        if let Some((_, slot, ty)) = self.scope.vars.iter().rev().find(|(n, _, _)| n == name) {
            return self.node(CKind::Var(*slot), ty.clone(), span);
        }
        if let Some((n, e)) = self.scope.lets.iter().find(|(n, _)| n == name) {
            let ty = e.ty.clone();
            return self.node(CKind::Let(n.as_str().into(), e.clone()), ty, span);
        }
        if let Some(g) = GLOBALS.iter().find(|g| g.name == name) {
            return self.node(CKind::Global(g.global), g.global.ty(), span);
        }
        let mut err = ExprError::new(
            "expr::unknown_name",
            span.clone(),
            format!("unknown name `{name}`"),
            "not defined",
        );
        let names = self.scope.names();
        err.help = Some(if library::function(name).is_some() {
            format!("`{name}` is a function: call it, e.g. `{name}(/…/)`")
        } else if let Some(s) = suggest(name, names.iter().copied()) {
            format!("did you mean `{s}`?")
        } else {
            format!("names here: {}", names.join(", "))
        });
        self.fail(err, span)
    }

    fn call(&mut self, func: &str, func_span: &ExprSpan, args: &[Expr], span: &ExprSpan) -> CExpr {
        let args: Vec<CExpr> = args.iter().map(|a| self.expr(a)).collect();
        let Some(f) = library::function(func) else {
            let mut err = ExprError::new(
                "expr::unknown_function",
                func_span.clone(),
                format!("unknown function `{func}`"),
                "not a function",
            );
            let names = library::FUNCTIONS.iter().map(|f| f.name);
            err.help = Some(match suggest(func, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "`reportlint rules functions` lists them all".to_string(),
            });
            return self.fail(err, span);
        };
        if args.len() != f.params.len() {
            let (label_span, label) = if args.len() > f.params.len() {
                let extra = &args[f.params.len()];
                (
                    extra.span.start..args.last().unwrap().span.end,
                    "unexpected",
                )
            } else {
                (span.clone(), "missing arguments")
            };
            let err = ExprError::new(
                "expr::arity",
                label_span,
                format!(
                    "`{func}` takes {} argument{}, but {} {} given",
                    f.params.len(),
                    if f.params.len() == 1 { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
                label,
            )
            .help(format!("the signature is `{}`", f.signature()));
            return self.fail(err, span);
        }
        let mut ok = true;
        for (a, (pname, p)) in args.iter().zip(f.params) {
            if !p.accepts(&a.ty) {
                ok = false;
                let mut err = ExprError::new(
                    "expr::argument_type",
                    a.span.clone(),
                    format!(
                        "`{func}` expects a {} for `{pname}`, but this is {}",
                        p.name(),
                        a.ty.a()
                    ),
                    a.ty.a(),
                )
                .help(format!("the signature is `{}`", f.signature()));
                if *p == Param::Regex && a.ty == Type::Str {
                    err.help = Some(format!("write a regex between slashes: `{func}(/…/)`"));
                }
                self.errors.push(err);
            }
        }
        if !ok {
            return self.node(CKind::Lit(Value::Null("error".into())), Type::Error, span);
        }
        let ty = (f.ret)();
        self.node(CKind::Call(f, args), ty, span)
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        op_span: &ExprSpan,
        lhs: &Expr,
        rhs: &Expr,
        span: &ExprSpan,
    ) -> CExpr {
        use BinaryOp::*;
        let mut l = self.expr(lhs);
        let mut r = self.expr(rhs);
        if matches!(op, Eq | Ne | Lt | Le | Gt | Ge | In) {
            normalise_literals(&mut l);
            normalise_literals(&mut r);
        }
        let mismatch = |c: &mut Self, what: String| {
            c.errors.push(ExprError::new(
                "expr::type_mismatch",
                span.clone(),
                what,
                format!("{} {} {}", l.ty, op.symbol(), r.ty),
            ));
        };
        let ty = match op {
            Or | And => {
                self.expect_bool(&l, &format!("`{}`", op.symbol()));
                self.expect_bool(&r, &format!("`{}`", op.symbol()));
                Type::Bool
            }
            Eq | Ne | Lt | Le | Gt | Ge => {
                let fits = if matches!(op, Eq | Ne) {
                    l.ty.comparable(&r.ty)
                } else {
                    l.ty.ordered_with(&r.ty)
                };
                if !fits {
                    let verb = if matches!(op, Eq | Ne) {
                        "equal"
                    } else {
                        "be compared with"
                    };
                    let mut e = ExprError::new(
                        "expr::incompatible_comparison",
                        span.clone(),
                        format!("{} cannot {verb} {}", l.ty.a(), r.ty.a()),
                        format!("{} {} {}", l.ty, op.symbol(), r.ty),
                    );
                    e.help = comparison_help(&l, &r);
                    self.errors.push(e);
                }
                Type::Bool
            }
            Match | NotMatch => {
                if !matches!(l.ty, Type::Str | Type::Null | Type::Error) {
                    let mut e = ExprError::new(
                        "expr::type_mismatch",
                        l.span.clone(),
                        format!("`{}` matches text, but this is {}", op.symbol(), l.ty.a()),
                        l.ty.a(),
                    );
                    if matches!(
                        l.ty,
                        Type::Section | Type::Figure | Type::Paragraph | Type::Match
                    ) {
                        e.help =
                            Some("match its text: `….text ~ /…/` (or `.title`, `.label`)".into());
                    }
                    self.errors.push(e);
                }
                if !matches!(r.ty, Type::Regex | Type::Error) {
                    self.errors.push(
                        ExprError::new(
                            "expr::type_mismatch",
                            r.span.clone(),
                            format!(
                                "the right side of `{}` must be a regex, but this is {}",
                                op.symbol(),
                                r.ty
                            ),
                            r.ty.a(),
                        )
                        .help("write a regex between slashes: `/…/`"),
                    );
                }
                Type::Bool
            }
            In => {
                match &r.ty {
                    Type::List(elem) if l.ty.comparable(elem) => {}
                    Type::Str if matches!(l.ty, Type::Str | Type::Null) => {}
                    Type::Null | Type::Error => {}
                    _ if l.ty == Type::Error => {}
                    _ => mismatch(
                        self,
                        format!(
                            "`in` looks for {} in {}: that cannot hold it",
                            l.ty.a(),
                            r.ty.a()
                        ),
                    ),
                }
                Type::Bool
            }
            Coalesce => {
                if l.ty == Type::Null {
                    r.ty.clone()
                } else {
                    if !r.ty.comparable(&l.ty) {
                        mismatch(
                            self,
                            format!(
                                "`??` gives {} or {}: both sides must be of one type",
                                l.ty.a(),
                                r.ty.a()
                            ),
                        );
                    }
                    l.ty.clone()
                }
            }
            Add | Sub | Mul | Div => {
                if op == Add && l.ty == Type::Str && r.ty == Type::Str {
                    Type::Str
                } else if let (Add, Type::List(a), Type::List(b)) = (op, &l.ty, &r.ty) {
                    if a.comparable(b) {
                        if **a == Type::Null {
                            r.ty.clone()
                        } else {
                            l.ty.clone()
                        }
                    } else {
                        mismatch(
                            self,
                            format!(
                                "`+` joins lists of one type, not {} and {}",
                                l.ty.a(),
                                r.ty.a()
                            ),
                        );
                        Type::Null
                    }
                } else if l.ty.is_numeric() && r.ty.is_numeric() {
                    match arithmetic_type(op, &l.ty, &r.ty) {
                        Some(t) => t,
                        None => {
                            let mut e = ExprError::new(
                                "expr::type_mismatch",
                                span.clone(),
                                format!(
                                    "`{}` of {} and {} has no meaning",
                                    op.symbol(),
                                    l.ty.a(),
                                    r.ty.a()
                                ),
                                format!("{} {} {}", l.ty, op.symbol(), r.ty),
                            );
                            e.help = comparison_help(&l, &r);
                            self.errors.push(e);
                            Type::Error
                        }
                    }
                } else {
                    mismatch(
                        self,
                        format!(
                            "`{}` works on numbers, not on {} and {}",
                            op.symbol(),
                            l.ty.a(),
                            r.ty.a()
                        ),
                    );
                    Type::Null
                }
            }
        };
        let _ = op_span;
        self.node(CKind::Binary(op, Box::new(l), Box::new(r)), ty, span)
    }

    fn regex(&mut self, pattern: &str, flags: &str, span: &ExprSpan) -> CExpr {
        if let Some(bad) = flags.chars().find(|&c| c != 'i') {
            let at = span.end - flags.len() + flags.find(bad).unwrap_or(0);
            return self.fail(
                ExprError::new(
                    "expr::regex_flag",
                    at..at + bad.len_utf8(),
                    format!("unknown regex flag `{bad}`"),
                    "unknown flag",
                )
                .help("the only flag is `i` (ignore case): `/abc/i`"),
                span,
            );
        }
        if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(pattern) {
            let s = e.span();
            let start = pattern_to_source(&self.src, span, s.start.offset);
            let end = pattern_to_source(&self.src, span, s.end.offset).max(start);
            let label_end = if end == start {
                // A zero-width error span: underline the character there.
                self.src[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8())
            } else {
                end
            };
            return self.fail(
                ExprError::new(
                    "expr::invalid_regex",
                    start..label_end,
                    format!("invalid regex: {}", e.kind()),
                    e.kind().to_string(),
                ),
                span,
            );
        }
        match build_regex(pattern, flags.contains('i')) {
            Ok(re) => self.node(CKind::Lit(Value::Regex(Arc::new(re))), Type::Regex, span),
            Err(msg) => self.fail(
                ExprError::new("expr::invalid_regex", span.clone(), format!("invalid regex: {msg}"), "here")
                    .help("regexes are limited in size; split a very long alternation into several rules or `let` bindings"),
                span,
            ),
        }
    }
}

/// String literals compared with report text are normalised like it (`"張家港"` equals the
/// normalised `张家港`); elsewhere (messages, defaults) they stay as written.
fn normalise_literals(e: &mut CExpr) {
    match &mut e.kind {
        CKind::Lit(Value::Str(s)) => *s = crate::report::normalize(s).text,
        CKind::List(items) => items.iter_mut().for_each(normalise_literals),
        _ => {}
    }
}

fn comparison_help(l: &CExpr, r: &CExpr) -> Option<String> {
    let (a, b) = (&l.ty, &r.ty);
    let pair =
        |x: &Type, y: &Type| matches!((a, b), (p, q) if (p == x && q == y) || (p == y && q == x));
    if *a == Type::Percent && b.is_bare_number() || *b == Type::Percent && a.is_bare_number() {
        let bare = if b.is_bare_number() { r } else { l };
        let ratio = if b.is_bare_number() { l } else { r };
        let written = match &bare.kind {
            CKind::Lit(Value::Int(i)) => Some(i.to_string()),
            CKind::Lit(Value::Num(x)) => Some(crate::report::figures::format_value(*x)),
            _ => None,
        };
        let division = matches!(ratio.kind, CKind::Binary(BinaryOp::Div, ..));
        let what = if division {
            "`a / b` of two numbers is a ratio"
        } else {
            "a percentage is a ratio (`10%` is 0.1, not 10)"
        };
        Some(match written {
            Some(n) => format!("{what}: write `{n}%` to mean {n} percent"),
            None => format!(
                "{what}: compare it with a percentage such as `95%`, and counts with counts"
            ),
        })
    } else if pair(&Type::Percent, &Type::Str)
        || pair(&Type::Number, &Type::Str)
        || pair(&Type::Int, &Type::Str)
        || pair(&Type::Quantity, &Type::Str)
    {
        Some("write the number without quotes: `100%`, `18`".into())
    } else if pair(&Type::Str, &Type::Regex) {
        Some("to match text against a regex, use `~`".into())
    } else if matches!(a, Type::Figure) || matches!(b, Type::Figure) {
        Some("compare the figure's `.value`".into())
    } else {
        None
    }
}

/// The type of `a op b` for two numbers (`+ - * /`), `None` when it has no meaning: a
/// percentage and a bare number are never added or subtracted. Two bare numbers divided give
/// a ratio (`4 / 8` is 50%); a figure's value keeps its unit, decided at run time.
fn arithmetic_type(op: BinaryOp, a: &Type, b: &Type) -> Option<Type> {
    use BinaryOp::*;
    use Type::{Int, Number, Percent, Quantity};
    Some(match (a, b) {
        (Type::Null | Type::Error, t) | (t, Type::Null | Type::Error) => t.clone(),
        (Int, Int) if op != Div => Int,
        (x, y) if x.is_bare_number() && y.is_bare_number() => {
            if op == Div {
                Percent
            } else {
                Number
            }
        }
        (Percent, Percent) => Percent,
        (Percent, y) if y.is_bare_number() => match op {
            Mul => Number,
            Div => Percent,
            _ => return None,
        },
        (x, Percent) if x.is_bare_number() => match op {
            Mul | Div => Number,
            _ => return None,
        },
        (Quantity, Quantity) if op == Div => Percent,
        _ => Quantity,
    })
}
