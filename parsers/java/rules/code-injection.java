package com.example.rules;

import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.servlet.http.HttpServletRequest;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;

public class RuleEvaluator {
    private static final String DISCOUNT_SCRIPT = "price * 0.9";
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
    private final ExpressionParser parser = new SpelExpressionParser();

    public Object calculate(HttpServletRequest request) throws Exception {
        String formula = request.getParameter("formula");
        // ruleid: java.code-injection.script-engine-eval, java.code-injection.tainted-script
        return engine.eval(formula);
    }

    public Object template(String name) throws Exception {
        // ruleid: java.code-injection.script-engine-eval
        return engine.eval("greet('" + name + "')");
    }

    public Object discount(double price) throws Exception {
        Bindings bindings = engine.createBindings();
        bindings.put("price", price);
        // ok: java.code-injection.script-engine-eval
        return engine.eval(DISCOUNT_SCRIPT, bindings);
    }

    public Object version() throws Exception {
        // ok: java.code-injection.script-engine-eval
        return engine.eval("1 + 1");
    }

    public Object filter(String userExpr) {
        // ruleid: java.code-injection.expression-language
        Expression exp = parser.parseExpression(userExpr);
        return exp.getValue();
    }

    public Object ognl(String path, Object root) throws Exception {
        // ruleid: java.code-injection.expression-language
        return ognl.Ognl.getValue("user." + path, root);
    }

    public Object fixed(Object root) {
        // ok: java.code-injection.expression-language
        Expression exp = parser.parseExpression("name.toUpperCase()");
        return exp.getValue(root);
    }
}

class FormulaController {
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
    private final ExpressionParser parser = new SpelExpressionParser();
    private String lastRule = "true";

    public Object compute(HttpServletRequest request) throws Exception {
        // ruleid: java.code-injection.tainted-script, java.code-injection.script-engine-eval
        return engine.eval(request.getParameter("expr"));
    }

    private Object evaluate(String expression) {
        // ruleid: java.code-injection.tainted-script, java.code-injection.expression-language
        return parser.parseExpression(expression).getValue();
    }

    public Object sort(@org.springframework.web.bind.annotation.RequestParam("by") String by) {
        return evaluate("items.?[" + by + "]");
    }

    public Object greet(HttpServletRequest request) throws Exception {
        java.util.Map<String, String> vars = new java.util.HashMap<>();
        vars.put("name", request.getParameter("name"));
        vars.put("greeting", "'Hello'");
        // ok: java.code-injection.tainted-script; ruleid: java.code-injection.script-engine-eval
        engine.eval("print(" + vars.get("greeting") + ")");
        // ruleid: java.code-injection.tainted-script, java.code-injection.script-engine-eval
        return engine.eval("print('" + vars.get("name") + "')");
    }

    public void saveRule(HttpServletRequest request) {
        lastRule = "unused";
        this.lastRule = request.getHeader("X-Rule");
    }

    public Object applyRule() {
        // ruleid: java.code-injection.tainted-script, java.code-injection.expression-language
        return parser.parseExpression(this.lastRule).getValue();
    }

    public Object total(HttpServletRequest request) throws Exception {
        double factor = Double.parseDouble(request.getParameter("factor"));
        // ok: java.code-injection.tainted-script; ruleid: java.code-injection.script-engine-eval
        return engine.eval("total * " + factor);
    }

    public Object fixedRule(HttpServletRequest request) {
        String rule = request.getParameter("rule");
        rule = "status == 'open'";
        // ok: java.code-injection.tainted-script
        return parser.parseExpression(rule).getValue();
    }

    public Object bound(HttpServletRequest request) throws Exception {
        Bindings bindings = engine.createBindings();
        bindings.put("input", request.getParameter("input"));
        // ok: java.code-injection.tainted-script
        return engine.eval("input.trim()", bindings);
    }
}
