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
        // ruleid: java.code-injection.script-engine-eval
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
