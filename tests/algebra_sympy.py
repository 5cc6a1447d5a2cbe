"""Expected values of tests/algebra.rs, from SymPy."""
import sympy as sp

x, u, v = sp.symbols('x u v')
print(sp.simplify((x + 1)**2 - x**2 - 2*x))
print(sp.simplify((sp.tanh(v) + sp.tanh(u))**2 - sp.tanh(v)**2 - 2*sp.tanh(v)*sp.tanh(u)))
print(sp.simplify((x**2 - 1)/(x - 1)))
y = sp.Symbol('y')
# periods and quarter turns (SymPy applies them on construction)
print(sp.sin(12*sp.pi + y + sp.pi/2), sp.sin(sp.pi + y), sp.cos(y - sp.pi/2))
print(sp.sin(2*sp.pi + y), sp.tan(y + 3*sp.pi), sp.sin(y + 7*sp.pi/3), sp.cos(x + 5*sp.pi/3))
# division by an exact zero: SymPy's complex infinity (deriv prints 1/0)
print(sp.tan(sp.pi/2), sp.tan(3*sp.pi/2), 1/sp.sin(sp.pi), x/sp.Integer(0))
# a function of an inverse function (SymPy evaluates these on construction)
for f, g in [(sp.cos, sp.asin), (sp.sin, sp.acos), (sp.tan, sp.asin), (sp.tan, sp.acos),
             (sp.sin, sp.atan), (sp.cos, sp.atan), (sp.tan, sp.atan), (sp.cosh, sp.asinh),
             (sp.tanh, sp.asinh), (sp.sinh, sp.acosh), (sp.tanh, sp.acosh), (sp.cosh, sp.atanh),
             (sp.sinh, sp.atanh), (sp.sin, sp.asin)]:
    print(f(g(x)), end='; ')
print()
t = sp.Symbol('t')
print(sp.simplify(sp.diff(sp.log(sp.sin(sp.atan(t))), t)))
s = sp.Symbol('s')
sig = 1/(1 + sp.exp(-x))
c2 = sp.diff(sig, x, 2)/2
# in terms of s = sigmoid(x): sigmoid' = s(1-s)
print(sp.expand(sp.simplify(c2.subs(sp.exp(-x), 1/s - 1))))
