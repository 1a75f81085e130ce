# figure4-left-1.gp: figure "004 Figure 4 (left): MSE of the encoder gradient", drawn by MIPlot; its data is figure4-left-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot figure4-left-1.gp                       writes figure4-left-1.svg
#   gnuplot -e 'format="png"' figure4-left-1.gp     writes figure4-left-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' figure4-left-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' figure4-left-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'figure4-left-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1800,450 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1800,450 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 18in,4.5in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'figure4-left-1.dat'
set multiplot layout 1,4 rowsfirst title '004 Figure 4 (left): MSE of the encoder gradient' font ',13'

# Panel 1 (row 1, column 1): gradient MSE, K = 64
reset
set title 'gradient MSE, K = 64'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 1 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 2 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 3 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 4 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)'

# Panel 2 (row 1, column 2): gradient MSE, K = 128
reset
set title 'gradient MSE, K = 128'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 5 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 6 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 7 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 8 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 9 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)'

# Panel 3 (row 1, column 3): gradient MSE, K = 256
reset
set title 'gradient MSE, K = 256'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 10 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 11 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 12 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 13 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 14 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)'

# Panel 4 (row 1, column 4): gradient MSE, K = 512
reset
set title 'gradient MSE, K = 512'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 15 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 16 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 17 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 18 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 19 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)'

unset multiplot
unset output
